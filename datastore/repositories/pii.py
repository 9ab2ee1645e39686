"""Key rotation for the encrypted client columns (``datastore.crypto``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Engine, String, select, type_coerce, update

from datastore.crypto import decrypt, encrypt, key_id, keyring
from datastore.schema import Client


def reencrypt_clients(engine: Engine) -> dict[str, Any]:
    """Re-encrypt ``clients.id_number`` and ``clients.mobile`` under the current key, in one transaction.

    Values already under the current key are left as they are; plain values (a database from before
    encryption) are encrypted. Returns ``{"clients", "reencrypted", "key_id", "before": {kid: n}}``."""
    ring = keyring()
    raw_id, raw_mobile = type_coerce(Client.id_number, String), type_coerce(Client.mobile, String)
    t = Client.__table__
    before: Counter[str] = Counter()
    changed = 0
    with engine.begin() as conn:
        rows = conn.execute(select(Client.id, raw_id.label("idn"), raw_mobile.label("mob"))).all()
        for cid, idn, mob in rows:
            kids = (key_id(idn), key_id(mob))
            before.update(k or "plain" for k in kids)
            if kids == (ring.current, ring.current):
                continue
            values = {
                "id_number": encrypt(decrypt(idn, "clients.id_number"), "clients.id_number"),
                "mobile": encrypt(decrypt(mob, "clients.mobile"), "clients.mobile"),
            }
            # Already-encrypted values pass the column type's bind step unchanged (see ``encrypt``).
            conn.execute(update(t).where(t.c.id == cid).values(**values))
            changed += 1
    return {"clients": len(rows), "reencrypted": changed, "key_id": ring.current, "before": dict(before)}
