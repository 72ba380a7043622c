"""What every blueprint shares, in the core web app and in the plug-in packages alike.

The flaskr pattern: blueprints get shared objects from a small module, never from the app factory
(no import cycle). ``current`` gives the engine and the plug-in registration of the running app,
``access`` the access rule every route declares and the signed-in user, ``extensions`` the Flask
extensions (bound to the app by ``web.app.create_app``). This package imports the engine and
Flask only; the plug-in packages and ``web`` import it.
"""
