"""Structured data: schema, engine, repositories, importers, sample-data generator."""
