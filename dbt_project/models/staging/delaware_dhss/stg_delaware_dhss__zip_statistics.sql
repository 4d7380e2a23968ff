{#-
    The per-ZIP download is opt-in (loaders/delaware_dhss.py): until a file has been loaded,
    raw has no such table and this view is empty rather than failing.
-#}
{%- set raw_table = source('delaware_dhss', 'zip_cases') -%}
{%- set landed = not execute or adapter.get_relation(
    database=raw_table.database, schema=raw_table.schema, identifier=raw_table.identifier
) is not none -%}

with

source as (

{%- if landed %}

    select * from {{ raw_table }}
    where _superseded_load_id is null

{%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as zip_code,
        cast(null as {{ dbt.type_string() }}) as county,
        cast(null as {{ dbt.type_string() }}) as statistic,
        cast(null as {{ dbt.type_float() }}) as value,
        cast(null as date) as date,
        cast(null as {{ dbt.type_string() }}) as date_used,
        cast(null as {{ dbt.type_string() }}) as unit,
        cast(null as {{ dbt.type_boolean() }}) as age_adjusted,
        cast(null as {{ dbt.type_bigint() }}) as _load_id
    where 1 = 0

{%- endif %}

),

renamed as (

    select
        -- ids
        zip_code,

        -- dimensions
        county as county_name,
        statistic as statistic_name,
        unit,
        date_used as date_basis,

        -- booleans
        cast(age_adjusted as {{ dbt.type_boolean() }}) as is_age_adjusted,

        -- measures
        cast(value as {{ dbt.type_float() }}) as statistic_value,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
