{#
    Testing, vaccination and hospitalisation figures per state per day, as Opportunity
    Insights republishes them (tests from JHU, vaccinations from CDC, hospitalisations from
    HHS; seven-day averages as OI documents). OI's case and death columns are left out: the
    cases facts take them from NYT, the primary source.
#}

with

covid as (select * from {{ ref('stg_oi_economic_tracker__covid_state_daily') }}),

states as (select * from {{ ref('states') }}),

final as (

    select
        covid.state_fips,
        states.state_name,
        covid.report_date,
        covid.tests_cumulative,
        covid.tests_new,
        covid.tests_cumulative_per_100k,
        covid.tests_new_per_100k,
        covid.first_doses_cumulative,
        covid.first_doses_cumulative_per_100,
        covid.fully_vaccinated_cumulative,
        covid.fully_vaccinated_cumulative_per_100,
        covid.first_boosters_cumulative,
        covid.first_boosters_cumulative_per_100,
        covid.hospitalized,
        covid.hospitalized_per_100k
    from covid
    inner join states
        on covid.state_fips = states.state_fips

)

select * from final
