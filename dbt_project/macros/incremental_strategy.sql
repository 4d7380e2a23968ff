{#
    How an incremental model replaces the rows it rebuilds, per adapter (the model is written
    once). Postgres: delete+insert on the model's unique_key. Spark (plain Parquet tables,
    which cannot DELETE or MERGE): insert_overwrite of whole partitions, so the model is
    partitioned by the columns its incremental window is cut by (`incremental_partitions`):
    every partition a run writes holds all of its rows, and one it does not write is kept.
#}
{% macro incremental_strategy() -%}
    {{ return(adapter.dispatch('incremental_strategy')()) }}
{%- endmacro %}

{% macro default__incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{# `columns` where the strategy replaces whole partitions (Spark), none elsewhere. #}
{% macro incremental_partitions(columns) -%}
    {{ return(adapter.dispatch('incremental_partitions')(columns)) }}
{%- endmacro %}

{% macro default__incremental_partitions(columns) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__incremental_partitions(columns) -%}
    {{ return(columns) }}
{%- endmacro %}
