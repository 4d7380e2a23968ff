{#
    A FIPS code as zero-padded text, e.g. fips_text('statefips', 2) turns 1 into '01'.
    Publishers store FIPS as integers (OI) or drop the leading zero (spreadsheet re-saves);
    the warehouse always keys on the padded text.
#}
{% macro fips_text(column, width) -%}
    lpad(cast({{ column }} as {{ dbt.type_string() }}), {{ width }}, '0')
{%- endmacro %}
