{#-
    The `history.<table>__revisions` views the loaders keep, one per raw table
    (loaders/core/history.py), found in the catalog when the model runs. The Dagster asset
    of a model whose meta says `reads_every_raw_table` depends on every raw table
    (orchestration/defs/dbt.py), which dbt cannot infer from these relations.
    On Spark there are none: the raw tables reach it as Parquet copies of their rows
    (warehouse/spark.py), and revisions are read from the Postgres landing store.
-#}
{% macro revision_views() %}
    {{ return(adapter.dispatch('revision_views')()) }}
{% endmacro %}

{% macro spark__revision_views() %}
    {{ return([]) }}
{% endmacro %}

{% macro default__revision_views() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set found = run_query(
        "select table_name from information_schema.views "
        ~ "where table_schema = 'history' and table_name like '%\\_\\_revisions' "
        ~ "order by table_name"
    ) -%}
    {%- set views = [] -%}
    {%- for row in found.rows -%}
        {%- do views.append(adapter.quote('history') ~ '.' ~ adapter.quote(row[0])) -%}
    {%- endfor -%}
    {{ return(views) }}
{% endmacro %}
