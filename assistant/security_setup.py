"""Process-wide security set-up done once by each entry point (CLI command, ``create_app``).

- ``umask 077``: every file WealthDesk creates (the SQLite database and its -wal/-shm files, the vector
  store, generated .docx/.pdf reports, exports) is readable by its owner only (0600 files, 0700 dirs);
- the PII encryption keys (``WEALTHDESK_PII_KEY``) and the audit key (``WEALTHDESK_AUDIT_KEY``) from
  Settings.
"""

from __future__ import annotations

import os
from typing import Any

OWNER_ONLY_UMASK = 0o077


def configure_process(settings: Any) -> None:
    from assistant import audit
    from datastore import crypto

    os.umask(OWNER_ONLY_UMASK)
    key = getattr(settings, "pii_key", None)
    crypto.configure(key.get_secret_value() if key is not None else None)
    audit.configure(settings)
