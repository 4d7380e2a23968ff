{#
    The one FIPS rule, as in loaders/core/fips.py (tests/loaders/core/test_fips.py runs both
    on the same cases): a FIPS code is text with its leading zeros. Trim; blank is null; a
    whole number (optionally written `.0`) is zero-padded to `width` digits, never cut;
    anything else is kept as found. fips_text('statefips', 2) turns 1 into '01'.
    Publishers store FIPS as integers (OI); the loaders already pad the text ones.
#}
{% macro fips_text(column, width) -%}
    {%- set text = "nullif(trim(cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")), '')" -%}
    {%- set digits = dbt.split_part(text, "'.'", 1) -%}
    case
        when {{ matches_pattern(text, '^[0-9]+([.]0*)?$') }}
            then case
                when length({{ digits }}) >= {{ width }} then {{ digits }}
                else lpad({{ digits }}, {{ width }}, '0')
            end
        else {{ text }}
    end
{%- endmacro %}

{# True when `expression` matches the regular expression `pattern` (no backslashes in it). #}
{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro spark__matches_pattern(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}
