with

source as (

    select * from {{ source('oi_economic_tracker', 'affinity_county_weekly') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        {{ fips_text('countyfips', 5) }} as county_fips,

        -- measures: fraction of change vs January 2020, seasonally adjusted
        spend_all as spend_change_all,

        -- dates
        cast(date_endofweek as date) as week_end_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
