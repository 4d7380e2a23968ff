"""`make api`: serve the marts on WAREHOUSE_API_HOST:WAREHOUSE_API_PORT (127.0.0.1:8000)."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from api.store import Store
from warehouse.database import warehouse_dsn
from warehouse.settings import PROJECT_ROOT, Settings

MANIFEST = PROJECT_ROOT / "dbt_project" / "target" / "manifest.json"


def main() -> None:
    settings = Settings.from_env()
    app = create_app(Store(settings, warehouse_dsn(settings)), MANIFEST)
    print(f"Serving the marts on http://{settings.api_host}:{settings.api_port}/docs", flush=True)
    uvicorn.run(app, host=settings.api_host, port=settings.api_port, log_level="warning")


if __name__ == "__main__":
    main()
