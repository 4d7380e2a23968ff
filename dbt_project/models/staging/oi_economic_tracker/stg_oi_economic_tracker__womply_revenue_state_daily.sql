with

source as (

    select * from {{ source('oi_economic_tracker', 'womply_revenue_state_daily') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        {{ fips_text('statefips', 2) }} as state_fips,

        -- measures: fraction of change vs January 4-31 2020, seven-day moving average
        revenue_all as revenue_change_all,
        revenue_inchigh as revenue_change_income_high,
        revenue_inclow as revenue_change_income_low,
        revenue_incmiddle as revenue_change_income_middle,
        revenue_ss40 as revenue_change_trade_transport_utilities,
        revenue_ss60 as revenue_change_professional_business_services,
        revenue_ss65 as revenue_change_education_health,
        revenue_ss70 as revenue_change_leisure_hospitality,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
