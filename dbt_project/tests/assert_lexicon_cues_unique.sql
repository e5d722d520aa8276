-- A cue phrase is listed once per category: the file merges as a union of rows across branches
-- (.gitattributes), so a row added twice must fail here rather than weigh twice.
select category, form, count(*) as n_rows
from {{ ref('lexicon_cues') }}
group by category, form
having count(*) > 1
