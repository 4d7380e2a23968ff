{{ config(severity='warn') }}
-- Warns on drift between sources: the state-days where an independent figure differs from
-- the primary (NYT) one past the tolerance. Sources disagree for known reasons (JHU files
-- deaths by date of death in some states, by report date in others; counties lag their
-- state), so this warns and never blocks; the rows say where to look.
select
    state_fips,
    report_date,
    comparison,
    compared_source,
    metric,
    primary_value,
    compared_value,
    relative_difference
from {{ ref('fct_case_source_reconciliation') }}
where is_beyond_tolerance
