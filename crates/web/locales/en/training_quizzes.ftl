# Question bank, quizzes, attempts and the learning-gain report.

training-quiz-back = Back
training-quiz-save = Save
training-quiz-bank-title = Question bank
training-quiz-bank-empty = No questions match this filter.
training-quiz-new-question = Add a question
training-quiz-filter-tag = Tag
training-quiz-all-tags = All tags
training-quiz-show-retired = Show retired questions
training-quiz-filter = Filter
training-quiz-col-question = Question
training-quiz-col-details = Kind, tags and points
training-quiz-col-actions = Actions
training-quiz-retired = retired
training-quiz-retire = Retire
training-quiz-restore = Put back in the bank
training-quiz-points = Points: { $points }
training-quiz-points-of = Points: { $points } of { $max }

training-quiz-kind-single-choice = Single choice
training-quiz-kind-multiple-choice = Multiple choice
training-quiz-kind-true-false = True or false
training-quiz-kind-short-text = Short text
training-quiz-kind-numeric = Number
training-quiz-kind-matching = Matching
training-quiz-kind-ordering = Ordering
training-quiz-kind-scenario = Scenario

training-quiz-lang-el = Greek
training-quiz-lang-en = English

training-quiz-question-title = Question: { $kind }
training-quiz-question-intro = Write every text in Greek and in English. Ids of options and items are short codes such as a, b or c; trainees never see them.
training-quiz-section-question = Slug and tags
training-quiz-section-answer = Answer key
training-quiz-section-answer-hint = Leave unused rows empty.
training-quiz-section-feedback = Feedback per outcome
training-quiz-section-sub = Part { $n }
training-quiz-section-sub-hint = Choose a kind to use this part, or leave it empty.
training-quiz-section-sub-texts = Part { $n }
training-quiz-field-slug = Slug (a short unique handle)
training-quiz-field-tags = Tags, separated by commas
training-quiz-field-prompt = Question or case vignette ({ $lang })
training-quiz-field-points = Points
training-quiz-field-option-id = Option { $n }: id
training-quiz-field-option-label = Option { $n }: text ({ $lang })
training-quiz-field-option-n = Option { $n }
training-quiz-field-correct = Correct answer
training-quiz-field-scoring = Scoring
training-quiz-scoring-all-or-nothing = All or nothing
training-quiz-scoring-partial = Partial credit
training-quiz-field-accepted = Accepted answers, one per line
training-quiz-field-value = Correct number
training-quiz-field-tolerance = Tolerance (plus or minus)
training-quiz-field-left-id = Left item { $n }: id
training-quiz-field-left-label = Left item { $n }: text ({ $lang })
training-quiz-field-right-id = Match for left item { $n }: id
training-quiz-field-right-label = Match for left item { $n }: text ({ $lang })
training-quiz-field-distractor-id = Extra right item { $n }: id
training-quiz-field-distractor-label = Extra right item { $n }: text ({ $lang })
training-quiz-field-item-id = Item { $n } in the correct order: id
training-quiz-field-item-label = Item { $n } in the correct order: text ({ $lang })
training-quiz-field-feedback = Feedback when { $outcome } ({ $lang })
training-quiz-field-sub-kind = Kind of this part
training-quiz-field-sub-id = Id of this part
training-quiz-true = True
training-quiz-false = False

training-quiz-outcome-correct = correct
training-quiz-outcome-partially-correct = partly correct
training-quiz-outcome-incorrect = incorrect
training-quiz-outcome-unanswered = not answered

training-quiz-error-slug = Enter a slug.
training-quiz-error-slug-taken = Another entry of this course already uses this slug.
training-quiz-error-prompt = Enter the question in Greek and in English.
training-quiz-error-points = Enter the points as a number above zero.
training-quiz-error-correct = Choose the correct answer.
training-quiz-error-number = Enter the number and the tolerance as numbers.
training-quiz-error-pairs = Give every left item its match.
training-quiz-error-definition = The answer key is incomplete: check that there are enough options or items, that ids are not repeated and that the correct answer is among them.

training-quiz-editor-title = Quizzes and tests
training-quiz-list-title = Quizzes of this course
training-quiz-section-quiz = Quiz
training-quiz-section-draws = Questions drawn from the bank
training-quiz-section-draws-hint = Each row draws the given number of questions with one tag. No question is drawn twice.
training-quiz-field-purpose = Purpose
training-quiz-purpose-pre-test = Pre-test
training-quiz-purpose-post-test = Post-test
training-quiz-purpose-module = Module quiz
training-quiz-field-title = Title ({ $lang })
training-quiz-field-pass-mark = Pass mark (percent)
training-quiz-field-time-limit = Time limit in minutes (empty for none)
training-quiz-field-max-attempts = Attempts allowed (empty for no limit)
training-quiz-field-late-rule = A submission after the time limit
training-quiz-late-score-zero = counts as an attempt and scores zero
training-quiz-late-accept = is graded as usual and marked late
training-quiz-field-required = Passing it is needed to complete the course
training-quiz-field-draw-tag = Row { $n }: tag
training-quiz-field-draw-count = Row { $n }: number of questions
training-quiz-error-purpose = Choose the purpose of the quiz.
training-quiz-error-title = Enter a slug and the title in Greek and in English.
training-quiz-error-pass-mark = Enter the pass mark as a whole number from 0 to 100.
training-quiz-error-limits = Enter the time limit and the attempts as whole numbers above zero, or leave them empty.
training-quiz-error-draws = Add at least one row with a tag and a number of questions above zero.
training-quiz-error-shortage = The tag “{ $tag }” has { $available } active questions in the bank, but the quiz draws { $wanted }.
training-quiz-error-overlap = Each tag has enough questions on its own, but some questions carry more than one of the tags: the draws need { $wanted } different questions and the bank can fill only { $available }.

training-quiz-rules-title = Rules
training-quiz-rule-questions = { $count ->
    [one] One question.
   *[other] { $count } questions.
}
training-quiz-rule-pass-mark = Pass mark: { $percent } %.
training-quiz-rule-time-limit = Time limit: { $minutes } minutes from the start.
training-quiz-rule-no-time-limit = No time limit.
training-quiz-rule-attempts-left = { $count ->
    [one] One attempt left.
   *[other] { $count } attempts left.
}
training-quiz-rule-no-attempts-limit = No limit on attempts.
training-quiz-rule-late-score-zero = A submission more than a minute after the time limit counts as an attempt and scores zero.
training-quiz-rule-late-accept = A submission after the time limit is graded as usual and marked late.
training-quiz-start = Start
training-quiz-resume = Continue the attempt you started
training-quiz-no-attempts-left = You have used every attempt allowed for this quiz.
training-quiz-attempts-title = Your attempts
training-quiz-attempt-n = Attempt { $n }
training-quiz-deadline = Submit by { $time }.
training-quiz-question-n = Question { $n } (points: { $points })
training-quiz-choose-one = Choose one answer
training-quiz-choose-many = Choose every answer that applies
training-quiz-your-answer = Your answer
training-quiz-your-number = Your answer (a number)
training-quiz-match-with = Match “{ $item }” with
training-quiz-position-of = Position of “{ $item }” (1 is first)
training-quiz-part = Part
training-quiz-submit = Submit answers
training-quiz-answer-malformed = This answer is not one of the choices offered. Choose again.
training-quiz-answer-not-a-number = Enter a number, for example 12 or 2.5.
training-quiz-answer-order = Give every item a different position, from 1 up to the number of items.
training-quiz-error-answers = Some answers need correcting. Nothing has been submitted yet; your other answers are kept below.
training-quiz-error-unknown-question = The form sent an answer to a question that is not part of this attempt ({ $id }). Nothing has been submitted; submit the form shown here.
training-quiz-error-already-submitted = This attempt was already submitted. Your first submission counts and is shown below.

training-quiz-score = Score: { $points } of { $max }
training-quiz-passed = Passed
training-quiz-failed = Not passed
training-quiz-in-grace = Submitted just after the time limit, within the grace minute: graded as usual.
training-quiz-late-scored-zero = Submitted after the time limit: the attempt counts and scores zero. Your answers and their grades are kept below.
training-quiz-late-accepted = Submitted after the time limit: graded as usual and marked late.
training-quiz-no-answer = no answer
training-quiz-back-to-quiz = Back to the quiz

training-feedback-correct = Correct.
training-feedback-partially-correct = Partly correct.
training-feedback-incorrect = Not correct.
training-feedback-unanswered = You did not answer this question.

training-quiz-gain-title = Learning gain
training-quiz-gain-page-title = Learning gain: { $course }
training-quiz-gain-intro = The normalised gain is (post − pre) / (100 − pre): the share of the room for improvement that the training closed. Groups lead with the gain of the means; the mean of individual gains is shown beside it.
training-quiz-gain-which-tests = Each trainee's first submitted pre-test is compared with their last submitted post-test. Trainees with only one of the tests are listed but left out of the group figures.
training-quiz-gain-csv = Download as CSV
training-quiz-gain-trainees = Trainees
training-quiz-gain-groups = Course and sectors
training-quiz-gain-sessions = Training sessions attended
training-quiz-gain-whole-course = Whole course
training-quiz-gain-at-ceiling = pre-test 100
training-quiz-gain-col-trainee = Trainee
training-quiz-gain-col-sector = Sector
training-quiz-gain-col-pre = Pre-test %
training-quiz-gain-col-post = Post-test %
training-quiz-gain-col-gain = Gain
training-quiz-gain-col-group = Group
training-quiz-gain-col-members = Trainees
training-quiz-gain-col-both = With both tests
training-quiz-gain-col-ceiling = Pre-test 100
training-quiz-gain-col-mean-pre = Mean pre-test %
training-quiz-gain-col-mean-post = Mean post-test %
training-quiz-gain-col-gain-of-means = Gain of the means
training-quiz-gain-col-mean-of-gains = Mean of gains

training-quiz-sector-airport = Airports
training-quiz-sector-public-transport = Public transport
training-quiz-sector-tourism = Tourism
training-quiz-sector-labour-inspection = Labour Inspectorate
training-quiz-sector-school = School community
training-quiz-sector-reception-identification = Reception and Identification Service
training-quiz-sector-ngo = Non-governmental organisations
training-quiz-sector-other = Other
training-quiz-sector-unknown = Not recorded
