{#
    On Spark, the sources in `raw` are Parquet tables over the raw tables exported from the
    Postgres landing store (warehouse/spark.py: export_raw writes
    <WAREHOUSE_SPARK_RAW>/<table>/), registered at the start of every run (a run-start hook in
    dbt_project.yml): created when missing or pointing elsewhere, else refreshed, so a new
    export is read whole. A refresh keeps the columns the table was registered with: after a
    contract gains a column, `drop table raw.<table>` on Spark (its files stay: the tables
    are external) and the next run registers it with the new columns. On Postgres the
    loaders write `raw` themselves, and this does nothing.
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
        {%- do run_query('create database if not exists raw') -%}
        {%- set existing = {} -%}
        {%- for row in run_query('show table extended in raw like "*"').rows -%}
            {%- for line in row[3].splitlines() if line.startswith('Location: ') -%}
                {%- do existing.update({row[1]: line[10:] | trim}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set done = [] -%}
        {%- for source in graph.sources.values() if source.schema == 'raw'
                and source.identifier not in done -%}
            {%- do done.append(source.identifier) -%}
            {%- set table = 'raw.' ~ source.identifier -%}
            {%- set path = location.rstrip('/') ~ '/' ~ source.identifier -%}
            {%- if existing.get(source.identifier, '').rstrip('/').endswith(path.split('://')[-1]) -%}
                {#- the same files' folder: read its current files -#}
                {%- do run_query('refresh table ' ~ table) -%}
            {%- else -%}
                {%- do run_query('drop table if exists ' ~ table) -%}
                {%- do run_query('create table ' ~ table ~ " using parquet location '" ~ path ~ "'") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
