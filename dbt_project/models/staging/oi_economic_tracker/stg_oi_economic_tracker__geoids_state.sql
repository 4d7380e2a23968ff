with

source as (

    select * from {{ source('oi_economic_tracker', 'geoids_state') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        {{ fips_text('statefips', 2) }} as state_fips,

        -- dimensions
        statename as state_name,
        stateabbrev as state_abbreviation,

        -- measures
        state_pop2019 as population_2019,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
