# Rules shared by tests/unit and tests/fuzz: the engine's sources and the
# reference models, compiled into $(BUILD) with the including Makefile's
# CC and CFLAGS. Set BUILD, CFLAGS and ENGINE_SRC before including.

SRC := ../../modules/push/lib
MODEL := ../model
ENGINE_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(notdir $(ENGINE_SRC))) \
	$(BUILD)/cp_model.o $(BUILD)/frame_model.o
CFLAGS += -I$(SRC) -I$(MODEL)

$(BUILD):
	@mkdir -p $@

$(BUILD)/%.o: $(SRC)/%.c $(wildcard $(SRC)/*.h) | $(BUILD)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%_model.o: $(MODEL)/%_model.c $(MODEL)/%_model.h \
		$(wildcard $(SRC)/*.h) | $(BUILD)
	$(CC) $(CFLAGS) -c $< -o $@
