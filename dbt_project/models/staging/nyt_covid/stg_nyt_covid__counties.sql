{#-
    us-counties.csv has no copy in the mirror (loaders/nyt_covid.py): until a file has been
    loaded, raw has no such table and this view is empty rather than failing.
-#}
{%- set raw_table = source('nyt_covid', 'us_counties') -%}
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
        cast(null as date) as date,
        cast(null as {{ dbt.type_string() }}) as county,
        cast(null as {{ dbt.type_string() }}) as state,
        cast(null as {{ dbt.type_string() }}) as fips,
        cast(null as {{ dbt.type_bigint() }}) as cases,
        cast(null as {{ dbt.type_bigint() }}) as deaths,
        cast(null as {{ dbt.type_bigint() }}) as _load_id
    where 1 = 0

{%- endif %}

),

renamed as (

    select
        -- ids
        fips as county_fips,

        -- dimensions
        county as county_name,
        state as state_name,

        -- measures
        cast(cases as {{ dbt.type_bigint() }}) as cases_cumulative,
        cast(deaths as {{ dbt.type_bigint() }}) as deaths_cumulative,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
