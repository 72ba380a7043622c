"""Complaint handling (pengaduan layanan): the register, its process topic, e-mail, recap, exports.

Importing the package registers the ``complaints`` table on ``engine.models.Base``.
"""

from . import models  # noqa: F401
