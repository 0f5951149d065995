G C$\
A
