"""``python -m assistant.factsheets`` regenerates data/corpus/products/ from the sample product table."""

from __future__ import annotations

import sys
from pathlib import Path


def regenerate_factsheets(out_dir: Path = Path("data/corpus/products")) -> list[Path]:
    """Render the committed factsheets from ``datastore.sample.generate()`` (deterministic)."""
    from datastore.sample import AS_OF, generate
    from knowledge.factsheets import render_factsheets

    tables = generate()
    return render_factsheets(tables["products"], tables["funds"], out_dir, as_of=AS_OF,
                             companies=tables["fund_companies"])


if __name__ == "__main__":
    if sys.argv[1:] not in ([], ["factsheets"]):
        sys.stderr.write("usage: python -m assistant.factsheets\n")
        sys.exit(2)
    paths = regenerate_factsheets()
    sys.stdout.write(f"{len(paths)} factsheets written\n")
