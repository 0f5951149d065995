 RUN echo $HOME
