{#
    The restriction categories counted in force day by day (fct_restrictions_daily) and in
    the revenue correlation; other timeline categories (Delaware's masks, travel quarantine,
    ...) are kept in fct_restrictions_timeline only.
#}
{% macro restriction_categories() -%}
    {{ return(['schools', 'nonessential_business', 'stay_at_home', 'gatherings', 'dining']) }}
{%- endmacro %}
