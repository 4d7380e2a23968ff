{#
    One row per calendar day from `start_column` to `end_column` (inclusive) of the one-row
    relation or CTE `bounds`, as column `calendar_date`. Built from dbt's portable
    generate_series rather than a database-specific one, so the span has an upper bound:
    `max_days` (default 8192 days, about 22 years); a longer span is cut at that many days.
    Usage: `days as ({{ day_spine('bounds', 'first_date', 'last_date') }})`.
#}
{% macro day_spine(bounds, start_column, end_column, max_days=8192) -%}
    select
        cast(
            {{ dbt.dateadd('day', 'day_offsets.generated_number - 1', 'bounds.' ~ start_column) }}
            as date
        ) as calendar_date
    from ({{ dbt.generate_series(max_days) }}) as day_offsets
    cross join {{ bounds }} as bounds
    where day_offsets.generated_number - 1
        <= {{ dbt.datediff('bounds.' ~ start_column, 'bounds.' ~ end_column, 'day') }}
{%- endmacro %}
