{#
    dbt-spark's listagg ignores `order_by_clause`; this one keeps it, as string_agg does on
    Postgres: the non-null values sorted by the order expression (ascending, then by value),
    joined by the delimiter; null when every value is null. `order_by_clause` is
    "order by <expression>", one expression, ascending.
#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set order_expression = measure -%}
    {%- if order_by_clause -%}
        {%- set clause = order_by_clause | trim -%}
        {%- if not clause.lower().startswith('order by ') -%}
            {{ exceptions.raise_compiler_error("listagg: expected 'order by <expression>', got " ~ clause) }}
        {%- endif -%}
        {%- set order_expression = clause[9:] | trim -%}
        {%- if order_expression.lower().endswith(' desc') or ',' in order_expression -%}
            {{ exceptions.raise_compiler_error("listagg on Spark: one ascending order expression, got " ~ clause) }}
        {%- endif -%}
        {%- if order_expression.lower().endswith(' asc') -%}
            {%- set order_expression = order_expression[:-4] -%}
        {%- endif -%}
    {%- endif -%}
    {%- set sorted -%}
        transform(
            array_sort(filter(
                collect_list(named_struct('sort_key', {{ order_expression }}, 'value', {{ measure }})),
                item -> item.value is not null
            )),
            item -> item.value
        )
    {%- endset -%}
    case when count({{ measure }}) > 0 then array_join(
        {%- if limit_num %}
        slice({{ sorted }}, 1, {{ limit_num }}),
        {%- else %}
        {{ sorted }},
        {%- endif %}
        {{ delimiter_text }}
    ) end
{%- endmacro %}
