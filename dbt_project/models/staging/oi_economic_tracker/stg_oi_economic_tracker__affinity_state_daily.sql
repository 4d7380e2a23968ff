with

source as (

    select * from {{ source('oi_economic_tracker', 'affinity_state_daily') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        {{ fips_text('statefips', 2) }} as state_fips,

        -- dimensions
        freq as value_frequency,

        -- measures: fraction of change vs January 6 - February 2 2020, seasonally adjusted
        spend_all as spend_change_all,
        spend_aap as spend_change_apparel_accessories,
        spend_acf as spend_change_accommodation_food_service,
        spend_aer as spend_change_arts_entertainment_recreation,
        spend_apg as spend_change_general_merchandise_apparel,
        spend_durables as spend_change_durable_goods,
        spend_nondurables as spend_change_nondurable_goods,
        spend_grf as spend_change_grocery_food_stores,
        spend_gen as spend_change_general_merchandise,
        spend_hic as spend_change_home_improvement_centers,
        spend_hcs as spend_change_health_care_social_assistance,
        spend_inpersonmisc as spend_change_other_in_person_services,
        spend_remoteservices as spend_change_remote_services,
        spend_sgh as spend_change_sporting_goods_hobby,
        spend_tws as spend_change_transportation_warehousing,
        spend_retail_w_grocery as spend_change_retail_with_grocery,
        spend_retail_no_grocery as spend_change_retail_without_grocery,
        spend_all_incmiddle as spend_change_income_middle,
        spend_all_q1 as spend_change_income_q1,
        spend_all_q2 as spend_change_income_q2,
        spend_all_q3 as spend_change_income_q3,
        spend_all_q4 as spend_change_income_q4,

        -- booleans
        cast(provisional as boolean) as is_provisional,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
