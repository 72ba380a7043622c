"""The job engine: timers and background work on procrastinate, in the engine store's PostgreSQL.

Production (PostgreSQL): ``laksana worker`` runs procrastinate workers; a periodic job calls the
engine's ``tick()`` every minute, and plug-ins' jobs (the complaint e-mail) are deferred as rows in
the same transaction as the step that decides them (``jobs.queue.defer``), retried with
exponential back-off and, after the last try, left as a visible record by the job itself.

Embedded mode (SQLite, ``make run``): no worker and no queue; ``laksana serve`` ticks in a
background thread (``jobs.embedded``) and plug-ins do their work inline, as before.

Only ``jobs.worker`` imports procrastinate; ``jobs.queue`` (what a step calls) needs SQLAlchemy only.
"""
