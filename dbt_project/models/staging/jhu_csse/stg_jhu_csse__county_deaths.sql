with

source as (

    select * from {{ source('jhu_csse', 'deaths_us') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        cast(uid as {{ dbt.type_bigint() }}) as place_id,
        fips as fips_code,

        -- dimensions
        admin2 as county_name,
        province_state as state_name,
        country_region as country_name,
        cast(population as {{ dbt.type_bigint() }}) as population,

        -- measures
        cast(deaths as {{ dbt.type_bigint() }}) as deaths_cumulative,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
