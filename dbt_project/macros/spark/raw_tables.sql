{#
    On Spark, the sources in `raw` are Parquet tables over the raw tables exported from the
    Postgres landing store (warehouse/spark.py: export_raw writes
    <WAREHOUSE_SPARK_RAW>/<table>/), registered afresh at the start of every run (a run-start
    hook in dbt_project.yml) so a new export is read whole. External tables: dropping one
    leaves its files. On Postgres the loaders write `raw` themselves, and this does nothing.
#}
{% macro register_raw_tables() -%}
    {{ return(adapter.dispatch('register_raw_tables')()) }}
{%- endmacro %}

{% macro default__register_raw_tables() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__register_raw_tables() -%}
    {%- if execute -%}
        {%- set location = env_var('WAREHOUSE_SPARK_RAW', '') | trim -%}
        {%- if not location -%}
            {{ exceptions.raise_compiler_error(
                "WAREHOUSE_SPARK_RAW is not set: where export_raw wrote the raw tables") }}
        {%- endif -%}
        {%- set registered = [] -%}
        {%- do run_query('create database if not exists raw') -%}
        {%- for source in graph.sources.values() if source.schema == 'raw'
                and source.identifier not in registered -%}
            {%- do registered.append(source.identifier) -%}
            {%- do run_query('drop table if exists raw.' ~ source.identifier) -%}
            {%- do run_query(
                'create table raw.' ~ source.identifier ~ " using parquet location '"
                ~ location.rstrip('/') ~ '/' ~ source.identifier ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
