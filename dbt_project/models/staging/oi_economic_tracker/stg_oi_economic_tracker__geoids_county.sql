with

source as (

    select * from {{ source('oi_economic_tracker', 'geoids_county') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        {{ fips_text('countyfips', 5) }} as county_fips,
        cityid as city_id,
        cz as commuting_zone_id,
        {{ fips_text('statefips', 2) }} as state_fips,

        -- dimensions
        countyname as county_name,
        cityname as city_name,
        czname as commuting_zone_name,
        statename as state_name,
        stateabbrev as state_abbreviation,

        -- measures
        county_pop2019 as population_2019,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
