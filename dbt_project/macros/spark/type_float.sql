{#
    dbt's type_float() is `float` on Spark: a 4-byte float, which loses the digits the
    Postgres build keeps (`float` there is 8 bytes). A double on Spark, as on Postgres.
#}
{% macro spark__type_float() -%}
    double
{%- endmacro %}
