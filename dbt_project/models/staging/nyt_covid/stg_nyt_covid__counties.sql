with

source as (

    select * from {{ source('nyt_covid', 'us_counties') }}
    where _superseded_load_id is null

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
