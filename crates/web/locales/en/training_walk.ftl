## Training links: the tests on the course page, the SCORM lesson, the
## module quizzes in the editor and the quiz countdown.

training-walk-quizzes-title = Tests
training-walk-scorm-launch = Start the interactive lesson
training-walk-module-quiz = Module quiz: { $title }
training-walk-module-quiz-add = Add a module quiz

training-walk-countdown-minutes = { $minutes ->
    [one] 1 minute left.
   *[other] { $minutes } minutes left.
}
training-walk-countdown-last-minute = Less than a minute left.
training-walk-countdown-submitting = Time is up. Your answers are being submitted.
