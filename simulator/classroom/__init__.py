"""The trainers' classroom: every trainee practises on a world of their own, the trainer watches the room live.

- hosts.py: how trainees' browsers reach the platforms — one port per platform on the trainer's machine;
- lesson.py: the scenarios a lesson practises, from features and flow IDs, bound to the step library;
- seats.py: a seat — its session, persona, link and progress; page.py and progress.py read progress
  from the pages a seat was served and the world's events;
- join.py: the seat's link, the cookie that binds a browser to its seat, the trainee's task card;
- room.py: the trainer's room view under /_sim/classroom/ (behind the admin token), live;
- summary.py: the end of the lesson in HTML and PDF; server.py and run.py: `sferum-sim classroom`.
"""
