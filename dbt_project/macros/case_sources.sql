{#
    The publishers whose cumulative case and death series int_cases__geographies_unioned
    unions (one block each there); fct_cases_daily's incremental window and its
    accepted_values test read this list.
#}
{% macro case_sources() -%}
    {{ return(['nyt_covid', 'jhu_csse', 'phac_canada']) }}
{%- endmacro %}
