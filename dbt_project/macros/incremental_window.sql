{#
    True for the rows an incremental run rebuilds: per value of `partition_column` (e.g. each
    source), those from `days` before the latest `date_column` already built for that value.
    Every row of a value with nothing built yet, or not listed in `values`, is rebuilt, so a
    source that lags behind the others never misses a day. The latest day per value is read
    from `this` through an index on (partition_column, date_column). Use unqualified column
    names of a single-table query, inside `{% if is_incremental() %}` only.
#}
{% macro incremental_window(partition_column, values, days, date_column='report_date') -%}
    (
    {%- for value in values %}
        ({{ partition_column }} = '{{ value }}' and {{ date_column }} >= coalesce(
            {{ dbt.dateadd('day', -days,
                '(select max(' ~ date_column ~ ') from ' ~ this ~ ' where ' ~ partition_column
                ~ " = '" ~ value ~ "')") }},
            cast('1900-01-01' as date)))
        or
    {%- endfor %}
        {{ partition_column }} not in ('{{ values | join("', '") }}')
    )
{%- endmacro %}
