"""One package per public source, named like its dbt staging folder
(`dbt_project/models/staging/<source>/`); `loaders/registry.py` lists them."""
