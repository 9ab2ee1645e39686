"""Re-export: entity matching lives in ``services.resolve``."""

from services.resolve import *  # noqa: F401,F403
from services.resolve import best_match, match_names  # noqa: F401
