with

source as (

    select * from {{ source('oi_economic_tracker', 'covid_state_daily') }}
    where _superseded_load_id is null

),

renamed as (

    select
        -- ids
        {{ fips_text('statefips', 2) }} as state_fips,

        -- measures: counts (seven-day averages or sums, as published)
        case_count as cases_cumulative,
        new_case_count as cases_new,
        death_count as deaths_cumulative,
        new_death_count as deaths_new,
        test_count as tests_cumulative,
        new_test_count as tests_new,
        vaccine_count as first_doses_cumulative,
        new_vaccine_count as first_doses_new,
        fullvaccine_count as fully_vaccinated_cumulative,
        new_fullvaccine_count as fully_vaccinated_new,
        booster_first_count as first_boosters_cumulative,
        new_booster_first_count as first_boosters_new,
        hospitalized_count as hospitalized,

        -- measures: rates (cases, deaths, tests, hospitalised per 100,000 people;
        -- vaccinations per 100 people)
        case_rate as cases_cumulative_per_100k,
        new_case_rate as cases_new_per_100k,
        death_rate as deaths_cumulative_per_100k,
        new_death_rate as deaths_new_per_100k,
        test_rate as tests_cumulative_per_100k,
        new_test_rate as tests_new_per_100k,
        vaccine_rate as first_doses_cumulative_per_100,
        new_vaccine_rate as first_doses_new_per_100,
        fullvaccine_rate as fully_vaccinated_cumulative_per_100,
        new_fullvaccine_rate as fully_vaccinated_new_per_100,
        booster_first_rate as first_boosters_cumulative_per_100,
        new_booster_first_rate as first_boosters_new_per_100,
        hospitalized_rate as hospitalized_per_100k,

        -- dates
        cast(date as date) as report_date,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed
