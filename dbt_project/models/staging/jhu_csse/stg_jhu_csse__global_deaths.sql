with

source as (

    select * from {{ source('jhu_csse', 'deaths_global') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        combined_key as place_key,

        -- dimensions
        province_state as province_name,
        country_region as country_name,
        cast(lat as {{ dbt.type_float() }}) as latitude,
        cast(long as {{ dbt.type_float() }}) as longitude,

        -- measures
        cast(deaths as {{ dbt.type_bigint() }}) as deaths_cumulative,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
