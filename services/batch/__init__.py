"""The nightly batch's business side: per-RM partition functions over canonical frames (book scan,
look-through, annual reports), the shared context, and where inputs come from. Engines (local, Spark)
live in ``assistant.batch``; nothing here knows which one runs it."""
