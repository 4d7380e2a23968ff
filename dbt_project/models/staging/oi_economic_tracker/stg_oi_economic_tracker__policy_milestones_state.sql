with

source as (

    select * from {{ source('oi_economic_tracker', 'policy_milestones_state') }}
    where _superseded_load_id is null
        -- the current layout; 'wide' rows restate the 2020 vintage's milestones in other words
        and layout = 'long'

),

renamed as (

    select
        -- ids
        {{ fips_text('statefips', 2) }} as state_fips,

        -- dimensions
        statename as state_name,
        policy_description,

        -- booleans
        cast(schools_first_closed as boolean) as is_schools_first_closed,
        cast(nonessential_biz_first_closed as boolean) as is_nonessential_business_first_closed,
        cast(stayathome_first_start as boolean) as is_stay_at_home_first_start,

        -- dates
        cast(date as date) as event_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
