with

source as (

    select * from {{ source('jhu_csse', 'uid_lookup') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        cast(uid as {{ dbt.type_bigint() }}) as place_id,
        fips as fips_code,
        iso2 as iso2_code,
        iso3 as iso3_code,
        cast(code3 as {{ dbt.type_bigint() }}) as iso_numeric_code,

        -- dimensions
        combined_key as place_name,
        admin2 as county_name,
        province_state as province_name,
        country_region as country_name,
        cast(lat as {{ dbt.type_float() }}) as latitude,
        cast(long as {{ dbt.type_float() }}) as longitude,

        -- measures
        cast(population as {{ dbt.type_bigint() }}) as population,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
