RUN 4\
#

c
