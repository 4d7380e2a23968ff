-- Databases beside `warehouse` (created by POSTGRES_DB): Dagster's run storage and Metabase's
-- application database.
create database dagster;
create database metabase;
