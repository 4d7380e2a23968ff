with

source as (

    select * from {{ source('nyt_covid', 'us_states') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        fips as state_fips,

        -- dimensions
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
