-- Every day with Womply revenue must fall inside the restrictions calendar, otherwise
-- fct_revenue_restrictions_correlation would silently drop it. Fails with the uncovered days;
-- the remedy is an earlier `calendar_start` var or a later policy milestones vintage.
with

revenue_days as (

    select distinct report_date from {{ ref('stg_oi_economic_tracker__womply_revenue_state_daily') }}

),

calendar as (

    select
        min(calendar_date) as first_date,
        max(calendar_date) as last_date
    from {{ ref('int_restrictions__daily') }}

)

select revenue_days.report_date
from revenue_days
cross join calendar
where revenue_days.report_date < calendar.first_date
    or revenue_days.report_date > calendar.last_date
