#escape=`
RUN echo $abc `
 ` x
`
  echo $abc