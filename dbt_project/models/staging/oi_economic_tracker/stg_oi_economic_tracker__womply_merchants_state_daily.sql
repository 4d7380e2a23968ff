with

source as (

    select * from {{ source('oi_economic_tracker', 'womply_merchants_state_daily') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        {{ fips_text('statefips', 2) }} as state_fips,

        -- measures: fraction of change vs January 4-31 2020, seven-day moving average
        merchants_all as merchants_open_change_all,
        merchants_inchigh as merchants_open_change_income_high,
        merchants_inclow as merchants_open_change_income_low,
        merchants_incmiddle as merchants_open_change_income_middle,
        merchants_ss40 as merchants_open_change_trade_transport_utilities,
        merchants_ss60 as merchants_open_change_professional_business_services,
        merchants_ss65 as merchants_open_change_education_health,
        merchants_ss70 as merchants_open_change_leisure_hospitality,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
