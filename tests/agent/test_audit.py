from sqlalchemy import text

from assistant.audit import audit_key, digest, record_tool_call
from datastore.engine import create_schema, get_engine
from datastore.repositories.audit import GENESIS, list_audit, verify_chain


def test_hash_chain_detects_tampering(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'a.db'}")
    create_schema(engine)
    for i in range(3):
        record_tool_call(engine, actor="RM001", tool="lookthrough_portfolio", args={"client_id": f"C000{i}"},
                         result={"ok": i}, outcome="ok")
    rows = list(reversed(list_audit(engine)))
    assert rows[0].prev_hash == GENESIS
    assert rows[1].args_digest == digest({"client_id": "C0001"})
    assert verify_chain(engine, audit_key()) is None
    with engine.begin() as conn:  # an insider edits the outcome of row 2
        conn.execute(text("UPDATE audit_log SET outcome='forbidden' WHERE id=:i"), {"i": rows[1].id})
    # The row's own keyed mac no longer matches, so the edited row itself is named (not its successor).
    assert verify_chain(engine, audit_key()) == rows[1].id


def test_digest_is_canonical():
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest({"a": 1}) != digest({"a": 2})


def test_concurrent_writers_keep_one_chain(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    engine = get_engine(f"sqlite:///{tmp_path / 'c.db'}")
    create_schema(engine)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda i: record_tool_call(engine, actor="RM001", tool="t", args={"i": i}, result=i,
                                                 outcome="ok"), range(40)))
    assert len(list_audit(engine, limit=100)) == 40 and verify_chain(engine, audit_key()) is None
