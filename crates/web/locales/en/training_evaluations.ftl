# Evaluation e-mails sent by the background worker. Only the trainee's name,
# the course title and the link may appear in them.
evaluation-mail-subject-end = Your evaluation of { $course }
evaluation-mail-subject-follow-up = Three months on: { $course }
evaluation-mail-subject-reminder = Reminder: your evaluation of { $course }
evaluation-mail-greeting = Dear { $name },
evaluation-mail-body-end = Thank you for completing the course "{ $course }". Please tell us how useful it is for your work. It takes two minutes.
evaluation-mail-body-follow-up = Three months have passed since you completed the course "{ $course }". Please tell us whether you still use what you learned.
evaluation-mail-body-reminder = We have not yet received your answers about the course "{ $course }". Your view helps us improve the training.
evaluation-mail-link = Sign in to Procap and answer here: { $link }
evaluation-mail-signature = The Procap training team
