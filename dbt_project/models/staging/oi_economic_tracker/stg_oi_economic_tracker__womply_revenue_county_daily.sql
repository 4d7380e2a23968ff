with

source as (

    select * from {{ source('oi_economic_tracker', 'womply_revenue_county_daily') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        {{ fips_text('countyfips', 5) }} as county_fips,

        -- measures: fraction of change vs January 4-31 2020, seven-day moving average
        revenue_all as revenue_change_all,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
