{#
    True for the rows an incremental run rebuilds: per value of `partition_column` (e.g. each
    source), those from `days` before the latest `date_column` already built for that value.
    Every row of a value with nothing built yet, or not listed in `values`, is rebuilt, so a
    source that lags behind the others never misses a day. Use unqualified column names of a
    single-table query, inside `{% if is_incremental() %}` only.

    The latest days are read from `this` before the model runs (through an index on
    (partition_column, date_column)) and written into the SQL as dates: a bound the planner
    can see lets it read just the window through the raw tables' (key, date) indexes, where
    a bound computed inside the query makes it scan them whole. In a unit test `this` is a
    fixture, so the bound stays a subquery there.
#}
{% macro incremental_window(partition_column, values, days, date_column='report_date') -%}
    {%- set latest = incremental_latest_days(partition_column, values, date_column) -%}
    (
    {%- for value in values %}
        {%- if latest is none %}
        ({{ partition_column }} = '{{ value }}' and {{ date_column }} >= coalesce(
            {{ dbt.dateadd('day', -days,
                '(select max(' ~ date_column ~ ') from ' ~ this ~ ' where ' ~ partition_column
                ~ " = '" ~ value ~ "')") }},
            cast('1900-01-01' as date)))
        {%- elif latest[value] is none %}
        {{ partition_column }} = '{{ value }}'
        {%- else %}
        ({{ partition_column }} = '{{ value }}' and {{ date_column }} >= cast(
            '{{ (latest[value] - modules.datetime.timedelta(days=days)).isoformat() }}' as date))
        {%- endif %}
        or
    {%- endfor %}
        {{ partition_column }} not in ('{{ values | join("', '") }}')
    )
{%- endmacro %}


{#- value -> latest date_column of `this` for it (none when it has no row); none itself when
    `this` is a unit test's fixture or dbt is only parsing. -#}
{% macro incremental_latest_days(partition_column, values, date_column) -%}
    {%- if not execute or this is string -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        {%- for value in values %}
        select '{{ value }}' as partition_value, (
            select max({{ date_column }}) from {{ this }}
            where {{ partition_column }} = '{{ value }}'
        ) as latest_day
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    {%- endset -%}
    {%- set latest = {} -%}
    {%- for row in run_query(query).rows -%}
        {%- do latest.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {{ return(latest) }}
{%- endmacro %}
