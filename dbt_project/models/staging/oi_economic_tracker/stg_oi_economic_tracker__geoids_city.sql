with

source as (

    select * from {{ source('oi_economic_tracker', 'geoids_city') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        cityid as city_id,
        {{ fips_text('statefips', 2) }} as state_fips,

        -- dimensions
        cityname as city_name,
        stateabbrev as state_abbreviation,
        statename as state_name,
        lat as latitude,
        lon as longitude,

        -- measures
        city_pop2019 as population_2019,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
